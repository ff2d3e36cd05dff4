import { decodeError, decodeWith, type GatewayError } from '@paygate/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts/lib/index.js';
import { PROVIDER } from './errors.js';

/**
 * Just enough JSON:API 1.0 (jsonapi.org/format/1.0) to read Money Button's API v1: resource
 * objects with typed attributes, relationships as resource identifiers, and compound documents
 * whose `included` resources are looked up by (type, id) and decoded with their own codec.
 */

/** JSON:API §5.2.1: `id` and `type` are strings. */
export const ResourceIdentifierCodec = t.type({ type: t.string, id: t.string });
export type ResourceIdentifier = t.TypeOf<typeof ResourceIdentifierCodec>;

/** JSON:API §5.2.4.1: resource linkage is null, one identifier, or an array of them. */
const RelationshipCodec = t.partial({
  data: t.union([t.null, ResourceIdentifierCodec, t.array(ResourceIdentifierCodec)]),
  links: t.record(t.string, t.unknown),
  meta: t.record(t.string, t.unknown),
});

const RelationshipsCodec = t.record(t.string, RelationshipCodec);
export type Relationships = t.TypeOf<typeof RelationshipsCodec>;

/** A resource object of one `type` whose `attributes` must match `attributes`. */
export const resourceCodec = <T extends string, A, O>(type: T, attributes: t.Type<A, O, unknown>) =>
  t.intersection([
    t.type({ type: t.literal(type), id: t.string, attributes }),
    t.partial({ relationships: RelationshipsCodec, links: t.record(t.string, t.unknown) }),
  ]);

/** Any resource object; `included` entries are decoded by type when something links to them. */
const AnyResourceCodec = t.intersection([
  ResourceIdentifierCodec,
  t.partial({ attributes: t.record(t.string, t.unknown), relationships: RelationshipsCodec }),
]);
export type AnyResource = t.TypeOf<typeof AnyResourceCodec>;

/** A top-level document (§5.1) whose primary `data` matches `data`. */
export const documentCodec = <A, O>(data: t.Type<A, O, unknown>) =>
  t.intersection([
    t.type({ data }),
    t.partial({
      included: t.array(AnyResourceCodec),
      meta: t.record(t.string, t.unknown),
      links: t.record(t.string, t.unknown),
    }),
  ]);

const prefixed = (prefix: string, path: string): string => (path === '' ? prefix : `${prefix}.${path}`);

/**
 * `decodeWith`, for a value found at `path` inside a larger body: the DecodeError names the full
 * path (`included.3.attributes.satoshis`), not the path inside the fragment.
 */
export const decodeAt =
  <A>(codec: t.Decoder<unknown, A>, path: string) =>
  (value: unknown): E.Either<GatewayError, A> => {
    const decoded = decodeWith(codec, PROVIDER)(value);
    if (path === '' || E.isRight(decoded) || decoded.left._tag !== 'DecodeError') return decoded;
    const inner = decoded.left;
    return E.left(
      decodeError({
        provider: PROVIDER,
        path: prefixed(path, inner.path),
        errors: inner.errors.map((line) => (line.startsWith('(root)') ? path + line.slice('(root)'.length) : `${path}.${line}`)),
      }),
    );
  };

export interface IncludedIndex {
  /** The included resource with this type and id, with its position in `included`. */
  find(identifier: ResourceIdentifier): { readonly resource: AnyResource; readonly index: number } | undefined;
}

export const indexIncluded = (included: ReadonlyArray<AnyResource> | undefined): IncludedIndex => {
  const byKey = new Map<string, { resource: AnyResource; index: number }>();
  (included ?? []).forEach((resource, index) => {
    byKey.set(`${resource.type}\u0000${resource.id}`, { resource, index });
  });
  return { find: (identifier) => byKey.get(`${identifier.type}\u0000${identifier.id}`) };
};

/**
 * The identifiers of a to-many relationship. An absent relationship (or one sent with links
 * only) has none; a to-one linkage where a to-many is expected is a DecodeError.
 */
export const toManyLinkage = (
  relationships: Relationships | undefined,
  name: string,
  path: string,
): E.Either<GatewayError, ReadonlyArray<ResourceIdentifier>> => {
  const data = relationships?.[name]?.data;
  if (data === undefined) return E.right([]);
  if (Array.isArray(data)) return E.right(data);
  return E.left(
    decodeError({
      provider: PROVIDER,
      path: `${path}.relationships.${name}.data`,
      errors: [`${path}.relationships.${name}.data: expected an array of resource identifiers`],
    }),
  );
};

/**
 * Joins linked resources from `included` and decodes each with `codec` (which sees the whole
 * resource object: type, id, attributes). Every linked resource must be included: a compound
 * document that links to something it does not carry is incomplete, not "empty".
 */
export const resolveIncluded = <A>(
  index: IncludedIndex,
  linkage: ReadonlyArray<ResourceIdentifier>,
  codec: t.Decoder<unknown, A>,
  path: string,
): E.Either<GatewayError, ReadonlyArray<A>> => {
  const out: A[] = [];
  for (const identifier of linkage) {
    const found = index.find(identifier);
    if (found === undefined) {
      return E.left(
        decodeError({
          provider: PROVIDER,
          path,
          errors: [`${path}: ${identifier.type} ${identifier.id} is linked but not in included`],
        }),
      );
    }
    const decoded = decodeAt(codec, `included.${found.index}`)(found.resource);
    if (E.isLeft(decoded)) return decoded;
    out.push(decoded.right);
  }
  return E.right(out);
};
