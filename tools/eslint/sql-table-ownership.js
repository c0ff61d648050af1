'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * "A module owns its tables" for SQL written as text: a string or template literal in src/<module>/
 * that reads or writes a table (FROM, JOIN, INTO, UPDATE; DELETE FROM is a FROM) must name one of that module's
 * own tables. Tables are mapped to modules from the `@Entity('table')` decorators under src/, so a new
 * entity needs no change here. The read models and tools that may read any table are left out by the
 * ESLint config, not by this rule.
 */

const ENTITY_DECORATOR = /@Entity\(\s*['"]([^'"]+)['"]/g;
/** A table position in a statement, the name bare or double-quoted. */
const TABLE_POSITION = /\b(FROM|JOIN|INTO|UPDATE)\s+(?:"([^"]+)"|([A-Za-z_][A-Za-z0-9_]*))/gi;
/** Calls whose text arguments are SQL whatever its case; elsewhere only upper-case keywords count, so prose is not read as SQL. */
const SQL_CALLEES = new Set(['sqlRows', 'sqlRow', 'sqlRun', 'query']);

const tablesByRoot = new Map();

/** table name -> owning module, from every `*.ts` file under src/<module>/ that declares `@Entity('...')`. */
function scanTables(root) {
  const cached = tablesByRoot.get(root);
  if (cached) return cached;
  const tables = new Map();
  const src = path.join(root, 'src');
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        const module = path.relative(src, full).split(path.sep)[0];
        for (const match of text.matchAll(ENTITY_DECORATOR)) tables.set(match[1], module);
      }
    }
  };
  if (fs.existsSync(src)) walk(src);
  tablesByRoot.set(root, tables);
  return tables;
}

/** The module a file belongs to: the folder right under src/, or null outside a module. */
function moduleOf(root, filename) {
  const parts = path.relative(path.join(root, 'src'), filename).split(path.sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : null;
}

/** Whether the literal is (part of) an argument of a call to one of SQL_CALLEES. */
function inSqlCall(node) {
  for (let child = node, parent = node.parent; parent; child = parent, parent = parent.parent) {
    if (parent.type === 'CallExpression' && parent.arguments.includes(child)) {
      const callee = parent.callee;
      const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : null;
      return SQL_CALLEES.has(name);
    }
    if (!['BinaryExpression', 'TemplateLiteral', 'ConditionalExpression', 'LogicalExpression', 'TSAsExpression'].includes(parent.type)) return false;
  }
  return false;
}

/** @type {import('eslint').Rule.RuleModule} */
module.exports = {
  meta: {
    type: 'problem',
    docs: { description: "SQL text in a module names only that module's own tables" },
    schema: [
      {
        type: 'object',
        properties: {
          /** table -> module, instead of scanning src/ (for tests). */
          tables: { type: 'object', additionalProperties: { type: 'string' } },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      foreignTable: "SQL in module '{{module}}' names table '{{table}}', owned by module '{{owner}}': ask the '{{owner}}' module's service for it (only the read models and tools may read any table).",
    },
  },
  create(context) {
    const root = context.cwd;
    const module = moduleOf(root, context.filename);
    if (!module) return {};
    const option = context.options[0] && context.options[0].tables;
    const tables = option ? new Map(Object.entries(option)) : scanTables(root);

    function check(node, text) {
      const anyCase = inSqlCall(node);
      for (const match of text.matchAll(TABLE_POSITION)) {
        if (!anyCase && match[1] !== match[1].toUpperCase()) continue;
        const table = match[2] ?? match[3];
        const owner = tables.get(table);
        if (owner && owner !== module) context.report({ node, messageId: 'foreignTable', data: { module, table, owner } });
      }
    }

    return {
      Literal(node) {
        if (typeof node.value === 'string') check(node, node.value);
      },
      TemplateLiteral(node) {
        // Each text part alone: an interpolation never stands for a table name here.
        check(node, node.quasis.map((q) => q.value.cooked ?? q.value.raw).join(' ${} '));
      },
    };
  },
};
