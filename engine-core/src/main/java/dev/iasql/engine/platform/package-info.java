/** The platform module every user database starts with. */
package dev.iasql.engine.platform;
