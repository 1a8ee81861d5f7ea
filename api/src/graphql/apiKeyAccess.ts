// What an API key may run, decided before any resolver, on both transports alike (HTTP and
// graphql-ws go through the same envelop): every operation spends the key's quota
// (RATE_LIMIT_API_KEY_PER_MINUTE), and a mutation runs only if the key allows each of its root
// fields (domain/apiKeys.ts keyRefusal; a read-only key allows none). Each subscribe counts once.
import type { Plugin } from 'graphql-yoga';
import { GraphQLError, Kind, type ExecutionArgs, type OperationDefinitionNode } from 'graphql';
import type { Services } from '../services.ts';
import type { Context } from '../context.ts';
import { keyMayRun } from '../domain/apiKeys.ts';

function operationOf({ document, operationName }: ExecutionArgs) {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
}

/** The refusal of this operation for the key asking, or null (not a key, or allowed). */
function refusal(s: Services, args: ExecutionArgs): Promise<GraphQLError | null> {
  const operation = operationOf(args);
  if (!operation) return Promise.resolve(null);
  const sels = operation.selectionSet.selections;
  const fields = sels.every((f) => f.kind === Kind.FIELD) ? sels.map((f) => (f.kind === Kind.FIELD ? f.name.value : '')) : null;
  return keyMayRun(s, (args.contextValue as Context | undefined)?.viewer ?? null, operation.operation, fields);
}

export function useApiKeyAccess(s: Services): Plugin {
  return {
    async onExecute({ args, setResultAndStopExecution }) {
      const refused = await refusal(s, args as unknown as ExecutionArgs);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
    async onSubscribe({ args, setResultAndStopExecution }) {
      const refused = await refusal(s, args as unknown as ExecutionArgs);
      if (refused) setResultAndStopExecution({ errors: [refused] });
    },
  };
}
