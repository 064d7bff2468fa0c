// First: it sends the first screen's questions before the rest of the bundle is evaluated.
import "./lib/boot";
import { mark } from "./lib/startup";
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

mount(App, { target: document.getElementById("app")! });
mark("js_mounted");
