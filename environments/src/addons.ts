/**
 * Typed settings per add-on, keyed by folder name under addons/. Adding an add-on adds one line here,
 * so environment files get completion and type errors for its settings.
 */
export interface AddonSettings {
}
