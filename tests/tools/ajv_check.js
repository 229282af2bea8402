// Compiles a JSON Schema with Ajv in strict mode (draft 2020-12, ajv-formats) and validates
// YAML files with it, each read the way esc reads YAML (js-yaml's CORE_SCHEMA: YAML 1.2, dates
// stay text). Markdown files are reduced to their front matter first.
// Usage: node ajv_check.js SCHEMA FILE...   Prints one JSON line per file: {file, errors}.
// Exit 0 when the schema compiles (whatever the files), 2 when it does not.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const yaml = require("js-yaml");

const [schemaPath, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
let validate;
try {
  validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
} catch (e) {
  console.error(`${schemaPath}: ${e.message}`);
  process.exit(2);
}
for (const file of files) {
  let text = fs.readFileSync(file, "utf8");
  if (file.endsWith(".md")) text = text.split(/^---\r?\n/m)[1];
  const data = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  const ok = validate(data);
  const errors = ok ? [] : validate.errors.map((e) => `${e.instancePath} ${e.message}`);
  console.log(JSON.stringify({ file, errors }));
}
