/** The theme as a React context, so every view draws with the same tokens (style-anchors B2, B4). */
import { createContext, useContext } from 'react';
import { colorEnabled, makeTheme, type Theme } from '../theme.js';

/** The dashboard's theme; the default follows NO_COLOR / FORCE_COLOR of the process. */
export const ThemeContext = createContext<Theme>(makeTheme(colorEnabled()));

/** The theme of the surrounding `ThemeContext`. */
export function useTheme(): Theme {
  return useContext(ThemeContext);
}
