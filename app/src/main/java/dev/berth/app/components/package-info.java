/**
 * Small view building blocks shared by panes: the pane header and the empty state. Views
 * only: they bind to texts from {@link dev.berth.app.i18n.Localization} and never call an engine.
 */
package dev.berth.app.components;
