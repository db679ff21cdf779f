/**
 * What an AWS module is built on: the per-operation context and its SDK clients, regional mappers, row tags for
 * crash-safe creates, and error messages that never carry a secret.
 */
@NullMarked
package dev.iasql.aws;

import org.jspecify.annotations.NullMarked;
