// editAccountFiles (pure): what each edit leaves, and that lines it does not name stay byte for byte.
// The same edits are compared with the real usermod/groupadd/userdel/useradd in
// test/integration/users/account-edits.test.ts.
import { describe, expect, it } from "vitest";
import { editAccountFiles } from "../../../src/users/edits.js";

const FILES = {
  passwd: "root:x:0:0:root:/root:/bin/bash\n# a comment  \njovyan:x:1000:100::/home/jovyan:/bin/bash\n+nis\n",
  group: "root:x:0:\nusers:x:100:jovyan,bob\nextra:x:3000:jovyan\n",
  shadow: "root:*:19700:0:99999:7:::\njovyan:$6$salt$hash:19000:1:2:3:::\n",
  gshadow: "root:*::\nusers:!:jovyan:jovyan,bob\nextra:!::jovyan\n",
};

describe("editAccountFiles", () => {
  it("rename-user: passwd name and home, the shadow line with its hash, admins and members; other lines as they were", () => {
    const f = editAccountFiles(FILES, [{ op: "rename-user", from: "jovyan", to: "ada", home: "/home/ada" }], 20000);
    expect(f.passwd).toBe("root:x:0:0:root:/root:/bin/bash\n# a comment  \nada:x:1000:100::/home/ada:/bin/bash\n+nis\n");
    expect(f.shadow).toBe("root:*:19700:0:99999:7:::\nada:$6$salt$hash:19000:1:2:3:::\n");
    expect(f.group).toBe("root:x:0:\nusers:x:100:ada,bob\nextra:x:3000:ada\n");
    expect(f.gshadow).toBe("root:*::\nusers:!:ada:ada,bob\nextra:!::ada\n");
  });

  it("rename-user refuses a missing user or a taken name", () => {
    expect(() => editAccountFiles(FILES, [{ op: "rename-user", from: "nobody", to: "ada", home: "/home/ada" }], 1)).toThrow("user nobody does not exist");
    expect(() => editAccountFiles(FILES, [{ op: "rename-user", from: "jovyan", to: "root", home: "/home/root" }], 1)).toThrow("user root exists already");
  });

  it("add-group: appended (gshadow too), nothing when the name exists", () => {
    const f = editAccountFiles(FILES, [{ op: "add-group", name: "lab", gid: 100 }, { op: "add-group", name: "extra", gid: 9 }], 1);
    expect(f.group).toBe(`${FILES.group}lab:x:100:\n`);
    expect(f.gshadow).toBe(`${FILES.gshadow}lab:!::\n`);
  });

  it("recreate-user: new ids at the end, password locked with today's date, member of exactly the listed groups", () => {
    const f = editAccountFiles(FILES, [{ op: "recreate-user", name: "jovyan", uid: 1234, gid: 2345, home: "/home/jovyan", shell: "/bin/bash", groups: [100] }], 20000);
    expect(f.passwd).toBe("root:x:0:0:root:/root:/bin/bash\n# a comment  \n+nis\njovyan:x:1234:2345::/home/jovyan:/bin/bash\n");
    expect(f.shadow).toBe("root:*:19700:0:99999:7:::\njovyan:!:20000:0:99999:7:::\n");
    expect(f.group).toBe("root:x:0:\nusers:x:100:bob,jovyan\nextra:x:3000:\n");
    expect(f.gshadow).toBe("root:*::\nusers:!::bob,jovyan\nextra:!::\n");
    // made again: the same text
    expect(editAccountFiles(f, [{ op: "recreate-user", name: "jovyan", uid: 1234, gid: 2345, home: "/home/jovyan", shell: "/bin/bash", groups: [100] }], 20000).group).toBe(f.group);
  });
});
