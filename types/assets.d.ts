// esbuild bundles profiles/*.yaml as text (loader: text); vitest does the same via a plugin.
declare module "*.yaml" {
  const text: string;
  export default text;
}
