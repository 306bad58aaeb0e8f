import { inArray, sql, type Column, type SQL } from 'drizzle-orm';
import { DomainError } from '../http/errors.ts';
import type { Actor } from './accounts.ts';

/**
 * The one rule for organisations, for reads and writes alike: a user scoped to
 * organisations sees and changes only what belongs to them; a user with no
 * scope (null) and the system see everything. Every operator verb goes through
 * `requireOrganisation` (one entity) or `organisationFilter` (lists).
 */
export function mayActOn(actor: Actor | 'system', organisationId: string | null): boolean {
  if (actor === 'system' || actor.organisationIds === null) return true;
  return organisationId !== null && actor.organisationIds.includes(organisationId);
}

/** Throws FORBIDDEN unless the actor may read or change what belongs to this organisation. */
export function requireOrganisation(actor: Actor | 'system', organisationId: string | null): void {
  if (!mayActOn(actor, organisationId)) throw new DomainError('FORBIDDEN', `you may not act for organisation "${organisationId ?? 'none'}"`);
}

/** A WHERE condition keeping a list to the actor's organisations; undefined when the actor sees all. */
export function organisationFilter(actor: Actor | 'system', column: Column): SQL | undefined {
  if (actor === 'system' || actor.organisationIds === null) return undefined;
  return actor.organisationIds.length === 0 ? sql`false` : inArray(column, actor.organisationIds);
}
