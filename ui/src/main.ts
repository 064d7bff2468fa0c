import { mark } from "./lib/startup";
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

mark("js_start");
mount(App, { target: document.getElementById("app")! });
mark("js_mounted");
