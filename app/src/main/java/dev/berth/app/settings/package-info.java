/**
 * The user's preferences (language, theme) and the Settings pane. Stored as JSON in
 * {@code $XDG_CONFIG_HOME/berth/settings.json} (else {@code ~/.config/berth/settings.json}),
 * written atomically; a file that cannot be read is kept aside, never silently overwritten.
 */
package dev.berth.app.settings;
