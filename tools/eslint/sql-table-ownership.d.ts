import type { Rule } from 'eslint';

declare const sqlTableOwnership: Rule.RuleModule;
export = sqlTableOwnership;
