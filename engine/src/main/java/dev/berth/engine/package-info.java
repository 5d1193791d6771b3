/**
 * Berth's container engine. {@link dev.berth.engine.Engine} is the composition root; each
 * sub-package owns one mechanism (see DESIGN.md): {@code state}, {@code events}, {@code system},
 * {@code runtime}, {@code api}, and later {@code content}, {@code image}, {@code registry},
 * {@code layer}, {@code snapshot}, {@code container}, {@code network}, {@code volume},
 * {@code build}. Nothing in the engine imports JavaFX.
 */
package dev.berth.engine;
