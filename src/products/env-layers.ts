// The environment layers of a product, in the order the loader folds them over the merged spec
// data: its licence first (so the image's own layer sees the licence oneshot), then its own.
import { licenceEnvLayer } from "./licence/index.js";
import type { EnvLayer, Product } from "./product.js";

export function envLayersOf(product: Product): EnvLayer[] {
  return [...(product.licence ? [licenceEnvLayer(product.licence)] : []), ...(product.envLayer ? [product.envLayer] : [])];
}
