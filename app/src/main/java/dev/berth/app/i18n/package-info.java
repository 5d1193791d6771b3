/**
 * Every user-visible string comes through {@link dev.berth.app.i18n.Localization} from the
 * bundles in ui-resources (English, Simplified Chinese); switching the language updates every
 * bound text at once. Errors become plain sentences here, once ({@link dev.berth.app.i18n.ErrorText}).
 * Never: hard-coded user-visible strings, engine calls.
 */
package dev.berth.app.i18n;
