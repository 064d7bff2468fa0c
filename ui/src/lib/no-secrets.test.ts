// No command hands a secret to the webview: every type a command resolves with (the `invoke<T>`
// calls of the generated bindings/commands.ts) is walked through the generated bindings, and no field on the way may be
// named like a secret. Secrets go from the UI to the keyring (AccountForm), never back.
import ts from "typescript";
import { describe, expect, it } from "vitest";
import bindingsSource from "../bindings/index.ts?raw";
import apiSource from "../bindings/commands.ts?raw";

const SECRET_FIELD = /(password|passwd|private|api_?key|access_?token|^token$|^secret$|^secret_value$|^pin$|otp_code)/i;

function parse(name: string, text: string): ts.SourceFile {
  return ts.createSourceFile(name, text, ts.ScriptTarget.Latest, true);
}

function declarations(file: ts.SourceFile): Map<string, ts.TypeNode> {
  const types = new Map<string, ts.TypeNode>();
  file.forEachChild((n) => {
    if (ts.isTypeAliasDeclaration(n)) types.set(n.name.text, n.type);
  });
  return types;
}

/** Every field name reachable from `node`, as `Type.field` paths. */
function fields(node: ts.Node, types: Map<string, ts.TypeNode>, path: string, seen = new Set<string>()): string[] {
  const out: string[] = [];
  const visit = (n: ts.Node, at: string): void => {
    if (ts.isPropertySignature(n) && n.name && (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name))) {
      const name = n.name.text;
      out.push(`${at}.${name}`);
      if (n.type) visit(n.type, `${at}.${name}`);
      return;
    }
    if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName)) {
      const name = n.typeName.text;
      const target = types.get(name);
      if (target && !seen.has(name)) {
        seen.add(name);
        visit(target, name);
      }
    }
    n.forEachChild((c) => visit(c, at));
  };
  visit(node, path);
  return out;
}

/** The `T` of every `invoke<T>("command", …)` in the generated calls, with the command name. */
function returnedTypes(api: ts.SourceFile): { command: string; type: ts.TypeNode }[] {
  const out: { command: string; type: ts.TypeNode }[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === "invoke") {
      const [arg] = n.arguments;
      const [type] = n.typeArguments ?? [];
      expect(type, `invoke(${arg?.getText()}) has no result type`).toBeDefined();
      out.push({ command: arg && ts.isStringLiteral(arg) ? arg.text : "?", type: type! });
    }
    n.forEachChild(visit);
  };
  visit(api);
  return out;
}

describe("what commands return", () => {
  const types = declarations(parse("bindings.ts", bindingsSource));
  const calls = returnedTypes(parse("api.ts", apiSource));

  it("finds the commands and their result types", () => {
    expect(calls.length).toBeGreaterThan(10);
    for (const { command, type } of calls) {
      expect(type.getText(), command).not.toMatch(/\bany\b|\bunknown\b/);
    }
  });

  it("never includes a field named like a secret", () => {
    for (const { command, type } of calls) {
      const bad = fields(type, types, command).filter((f) => SECRET_FIELD.test(f.split(".").pop()!));
      expect(bad, `${command} returns a secret-like field`).toEqual([]);
    }
  });

  it("would notice one: the account form, which carries secrets to the keyring, is flagged", () => {
    const form = types.get("AccountForm");
    expect(form).toBeDefined();
    const synthetic = ts.createSourceFile("x.ts", "type X = { api_key: string, nested: { transfer_password: string } };", ts.ScriptTarget.Latest, true);
    const flagged = fields(declarations(synthetic).get("X")!, types, "X").filter((f) => SECRET_FIELD.test(f.split(".").pop()!));
    expect(flagged).toEqual(["X.api_key", "X.nested.transfer_password"]);
  });
});
