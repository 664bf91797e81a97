// The `jupyter:` section: docker-stacks compatibility (start.sh's environment variables) and the
// JupyterHub single-user conventions.
import * as z from "zod";
import { AbsolutePath } from "../spec/primitives.js";

export const JupyterSchema = z
  .strictObject({
    dockerStacks: z
      .boolean()
      .default(false)
      .meta({
        description:
          "behave like docker-stacks' start.sh: NB_USER, NB_UID, NB_GID, NB_GROUP, NB_UMASK, CHOWN_HOME(_OPTS), CHOWN_EXTRA(_OPTS), GRANT_SUDO, JUPYTER_ENV_VARS_TO_UNSET, DOCKER_STACKS_JUPYTER_CMD, NOTEBOOK_ARGS, RESTARTABLE, JUPYTERHUB_API_TOKEN",
      }),
    program: z.string().default("jupyter").meta({ description: "the program that is the notebook server" }),
    defaultUser: z.string().default("jovyan").meta({ description: "the image's notebook user, renamed to NB_USER" }),
    launcher: z
      .array(z.string())
      .min(1)
      .default(["jupyter"])
      .meta({ description: "argv before DOCKER_STACKS_JUPYTER_CMD (default lab) and NOTEBOOK_ARGS, as start-notebook.py" }),
    singleuser: z
      .array(z.string())
      .min(1)
      .default(["jupyterhub-singleuser"])
      .meta({ description: "argv before NOTEBOOK_ARGS when JUPYTERHUB_API_TOKEN is set, as start-singleuser.py" }),
    persistent: z
      .array(AbsolutePath)
      .default([])
      .meta({ description: "files that must survive a restart (a JupyterHub SQLite database): a warning when one is on the container's own filesystem or a tmpfs" }),
  })
  .meta({ description: "Jupyter: docker-stacks start.sh compatibility, JupyterHub single-user" });

export type JupyterSpec = z.infer<typeof JupyterSchema>;
