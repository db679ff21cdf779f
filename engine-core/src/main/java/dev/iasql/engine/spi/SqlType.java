package dev.iasql.engine.spi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The SQL type of a result record's column where the Java type does not say it: {@code @SqlType("character
 * varying") String moduleName} (a {@code String} is {@code text} otherwise). On the record itself, the type of each
 * of its {@code String} components that says none, as IaSQL's functions return {@code character varying} throughout.
 * See {@link ResultColumns}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.TYPE})
public @interface SqlType {
  String value();
}
