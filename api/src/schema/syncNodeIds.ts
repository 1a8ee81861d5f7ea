// Relay node ids without a promise. plugin-relay defines every node's `id` through
// `t.globalID`, whose resolver is an async function: a promise and an await for each object,
// and scope-auth then wraps that promise in two more. Every row of a list pays for them (the
// board: 500 needs, 1,500 promises). This plugin gives a node type's `id` field a synchronous
// resolver that encodes the global id as plugin-relay does (its own encodeGlobalID, or the
// builder's relay.encodeGlobalID when one is configured); a node whose raw id is async stays async.
// Encoding is a Buffer round trip per id, so encoded ids are kept for the rows listed again.
import SchemaBuilder, { BasePlugin, completeValue, type PothosOutputFieldConfig, type SchemaTypes } from '@pothos/core';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { GraphQLFieldResolver } from 'graphql';

const ENCODED_IDS_KEPT = 20_000;

/** What plugin-relay keeps of a node type's options: its raw id resolver. */
type NodeIdOptions = { id?: { resolve?: GraphQLFieldResolver<unknown, object> } };

export class SyncNodeIdsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const idFieldName = this.builder.options.relay?.idFieldName ?? 'id';
    if (fieldConfig.name !== idFieldName || fieldConfig.kind !== 'Object') return fieldConfig;
    const type = this.buildCache.getTypeConfig(fieldConfig.parentType);
    const rawId = (type.pothosOptions as NodeIdOptions).id?.resolve;
    if (type.kind !== 'Object' || !rawId || !type.interfaces.some((i) => this.buildCache.getTypeConfig(i).name === this.builder.nodeInterfaceRef().name)) {
      return fieldConfig;
    }
    const typeName = type.name;
    const custom = this.builder.options.relay?.encodeGlobalID;
    if (custom) {
      return { ...fieldConfig, resolve: (parent, args, context, info) => completeValue(rawId(parent, args, context as object, info), (id) => custom(typeName, String(id), context as Types['Context'])) };
    }
    // The same rows are listed again and again (every board shows the live needs): their
    // encoded ids are kept, up to ENCODED_IDS_KEPT per type, then forgotten all at once.
    const encoded = new Map<string, string>();
    const encode = (id: unknown) => {
      const raw = String(id);
      let globalId = encoded.get(raw);
      if (globalId === undefined) {
        if (encoded.size >= ENCODED_IDS_KEPT) encoded.clear();
        encoded.set(raw, (globalId = encodeGlobalID(typeName, raw)));
      }
      return globalId;
    };
    return { ...fieldConfig, resolve: (parent, args, context, info) => completeValue(rawId(parent, args, context as object, info), encode) };
  }
}

declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      syncNodeIds: SyncNodeIdsPlugin<Types>;
    }
  }
}

const pluginName = 'syncNodeIds';
SchemaBuilder.registerPlugin(pluginName, SyncNodeIdsPlugin);
export default pluginName;
