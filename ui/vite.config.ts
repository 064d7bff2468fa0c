import { defineConfig } from "vitest/config";
import { svelte } from "@sveltejs/vite-plugin-svelte";

export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "safari15", outDir: "dist", emptyOutDir: true },
  // The keyboard test reads app.css as text (focus outlines); other styles are not needed in tests.
  test: { include: ["src/**/*.test.ts"], css: { include: [/app\.css/] } },
});
