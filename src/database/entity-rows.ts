import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The columns `entity` has values for, quoted, and those values as the driver stores them
 * (JSON as text, transformers applied): for a hand-written INSERT on a hot path, where
 * TypeORM's query builder would rebuild the same SQL on every call.
 */
export function insertColumns<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, entity: T): { names: string[]; values: unknown[] } {
  const { driver } = manager.dataSource;
  const columns = manager.dataSource.getMetadata(target).columns.filter((column) => column.getEntityValue(entity) !== undefined);
  return {
    names: columns.map((column) => driver.escape(column.databaseName)),
    values: columns.map((column) => driver.preparePersistentValue(column.getEntityValue(entity), column)),
  };
}

/** Copies a full row of the entity's table (`RETURNING *`) into `entity`, as TypeORM loads it. */
export function hydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>, entity: T): T {
  const { driver } = manager.dataSource;
  for (const column of manager.dataSource.getMetadata(target).columns) {
    column.setEntityValue(entity, driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return entity;
}
