// Lint: typescript-eslint recommended, plus the project's structural habits (see docs/architecture.md).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "build/**", "node_modules/**", "native/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "max-lines": ["warn", { max: 300, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Only the CLI decides the process exit code.
    files: ["src/**/*.ts"],
    ignores: ["src/cli/**", "src/pid1/**"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "exit", message: "throw a FoyerError; src/cli exits" }],
    },
  },
  {
    // Pure phases: no filesystem, processes, environment or clock (they are parameters).
    files: ["src/spec/schema.ts", "src/spec/primitives.ts", "src/render/**/*.ts", "src/plan/planner*.ts", "src/supervise/states.ts", "src/products/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { paths: ["node:fs", "node:child_process", "fs", "child_process", "node:fs/promises"] }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "pass the environment in" },
        { object: "Date", property: "now", message: "pass the clock in" },
        { object: "process", property: "exit", message: "throw a FoyerError; src/cli exits" },
      ],
    },
  },
);
