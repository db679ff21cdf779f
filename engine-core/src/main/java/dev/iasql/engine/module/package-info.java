/** Modules: the catalog (dependencies, "did you mean") and the installer (all or nothing, grants, audit). Internal. */
package dev.iasql.engine.module;
