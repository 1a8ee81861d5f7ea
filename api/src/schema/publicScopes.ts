// Scope-auth without the checks that cannot fail. The scope `public` is the constant `true`
// (builder.ts): a type or field whose authScopes are `{ public: true }` says that anyone may read
// it, so that nothing is unscoped by accident (tests/api/schema.test.ts). Checking it anyway
// wrapped every such field in scope-auth's resolver, run for every field of every row of a list:
// the board's 500 needs, two checks for each of their fields. This plugin is scope-auth with
// those two steps left out (the type's `{ public: true }` on each of its fields, and a field's
// own); every other scope runs as scope-auth runs it. A public column exposed as it is then has
// no resolver at all, and a compiled query (graphql/jit.ts) reads it in place.
//
// The declared scopes stay in each field's and type's options, for what reads them (shared
// subscription execution, the authorization matrix, the schema test).
import SchemaBuilder, { type SchemaTypes } from '@pothos/core';
import { PothosScopeAuthPlugin } from '@pothos/plugin-scope-auth';

/** Scopes that always pass: exactly `{ public: true }`. */
export const onlyPublic = (scopes: unknown): boolean =>
  !!scopes && typeof scopes === 'object' && Object.keys(scopes).length === 1 && (scopes as { public?: unknown }).public === true;

/** The config as scope-auth should see it: without authScopes that always pass. */
function withoutPublicScope<Config extends { pothosOptions: object }>(config: Config): Config {
  return onlyPublic((config.pothosOptions as { authScopes?: unknown }).authScopes)
    ? { ...config, pothosOptions: { ...config.pothosOptions, authScopes: undefined } }
    : config;
}

type TypeConfig<Types extends SchemaTypes> = Parameters<PothosScopeAuthPlugin<Types>['createStepsForType']>[0];
type StepOptions<Types extends SchemaTypes> = Parameters<PothosScopeAuthPlugin<Types>['createStepsForType']>[1];
type ResolveStepsArgs<Types extends SchemaTypes> = Parameters<PothosScopeAuthPlugin<Types>['createResolveSteps']>;

export class PublicScopeAuthPlugin<Types extends SchemaTypes> extends PothosScopeAuthPlugin<Types> {
  override createStepsForType(typeConfig: TypeConfig<Types>, options: StepOptions<Types>) {
    return super.createStepsForType(withoutPublicScope(typeConfig), options);
  }

  override createResolveSteps(...[fieldConfig, ...rest]: ResolveStepsArgs<Types>) {
    return super.createResolveSteps(withoutPublicScope(fieldConfig), ...rest);
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      publicScopeAuth: PublicScopeAuthPlugin<Types>;
    }
  }
}

const pluginName = 'publicScopeAuth';
SchemaBuilder.registerPlugin(pluginName, PublicScopeAuthPlugin);
export default pluginName;
