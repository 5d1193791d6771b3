/**
 * The desktop app's resources: CSS themes (a shared base plus a light and a dark palette),
 * the logo (SVG and PNGs), and the i18n bundles (English, Simplified Chinese). Plain files and
 * one locator that fails fast; no JavaFX and no engine code here.
 */
package dev.berth.ui;
