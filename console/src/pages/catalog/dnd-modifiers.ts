/** A drag that moves rows up and down only (what @dnd-kit/modifiers' helper of the same name does). */
import type { Modifier } from '@dnd-kit/core';

export const restrictToVerticalAxis: Modifier = ({ transform }) => ({ ...transform, x: 0 });
