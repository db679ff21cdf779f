package dev.iasql.engine.spi;

/**
 * An optional ability of a {@link Mapper}: the description of an update or a replacement names each changed field,
 * old value to new, as Terraform's plan shows attribute changes, instead of only naming the resource. A mapper
 * without it is described by {@link Mapper#describe}. Never shows a secret's value.
 *
 * @param <E> the mapper's value
 */
public interface DescribesChanges<E> {
  /** Apply changing the cloud: the resource, then each field it changes as {@code field cloud → row}. */
  String describeApply(E db, E cloud);

  /** A row made to say what the cloud says (sync, or apply restoring cloud-assigned fields): {@code field row → cloud}. */
  String describeSync(E db, E cloud);
}
