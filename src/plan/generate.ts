// Generated secret state (a cookie key, the launcher's key pair), created once and never
// overwritten: the executor's part of a generate-file action. The key material is made here, at
// apply time, and goes only into the file (0600 for its owner): never into the plan or a log.
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from "node:crypto";
import type { DirCache } from "../fs/index.js";
import type { GenerateFileAction } from "./action.js";
import { atomicWriteFile } from "./atomic.js";
import type { FsOps } from "./fsops.js";
import { observePath } from "./observe.js";
import type { OwnerIds } from "./owners.js";

const PARENT_MODE = 0o755;

/** Create what is missing; false when everything was there already. Throws when a pair is half there the wrong way. */
export function generateState(a: GenerateFileAction, owner: OwnerIds | undefined, dirs: DirCache, fs: FsOps, renamedIn: Set<string>): boolean {
  const write = (path: string, content: string, mode: number): void => {
    atomicWriteFile(dirs.get(parentOf(path), PARENT_MODE), nameOf(path), content, mode, owner);
    renamedIn.add(parentOf(path));
  };
  const privateState = observePath(a.path, a.generator === "rsa-key-pair", fs);
  if (a.generator === "uuid") {
    if (privateState.type !== "missing") return false;
    write(a.path, `${randomUUID()}\n`, a.mode);
    return true;
  }
  const publicPath = a.publicPath;
  const publicState = publicPath ? observePath(publicPath, false, fs) : { type: "missing" as const };
  if (privateState.type === "missing") {
    // a public key without its private key cannot be kept (it verifies nothing this container can
    // sign) and must not be overwritten silently
    if (publicPath && publicState.type !== "missing") throw new Error(`${publicPath} exists but ${a.path} does not: remove ${publicPath} or provide both`);
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs1", format: "pem" } });
    write(a.path, pair.privateKey, a.mode);
    if (publicPath) write(publicPath, pair.publicKey, a.publicMode ?? 0o644);
    return true;
  }
  if (!publicPath || publicState.type !== "missing" || privateState.type !== "file" || !privateState.content) return false;
  // the private key is kept; its public key is derived from it
  const publicKey = createPublicKey(createPrivateKey(privateState.content)).export({ type: "spki", format: "pem" }).toString();
  write(publicPath, publicKey, a.publicMode ?? 0o644);
  return true;
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf("/")) || "/";
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
