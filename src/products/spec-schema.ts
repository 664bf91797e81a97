// The spec's schema for one product: the common spec with `config:` in the product's shape. The
// loader validates with it (so a misspelt chart key gets a did-you-mean from the product's own
// keys) and `foyer schema --profile P` prints it.
import * as z from "zod";
import { SpecSchema } from "../spec/schema.js";
import type { Product } from "./product.js";

const cache = new WeakMap<Product, z.ZodType>();

export function specSchemaFor(product: Product): z.ZodType {
  let schema = cache.get(product);
  if (!schema) {
    schema = SpecSchema.extend({ config: (product.configSchema as z.ZodType).optional() }).meta({ title: `foyer spec (${product.name})` });
    cache.set(product, schema);
  }
  return schema;
}
