/**
 * The light and dark themes: Modena as the user-agent stylesheet, plus Berth's base
 * stylesheet and one palette from ui-resources on every scene. Never: colours in Java code.
 */
package dev.berth.app.theme;
