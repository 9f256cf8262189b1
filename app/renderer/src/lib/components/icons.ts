// Line icons on a 24×24 grid, drawn with currentColor strokes so they follow the theme.
const circle = (cx: number, cy: number, r: number): string => `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
const rect = (x: number, y: number, w: number, h: number, r: number): string =>
  `M${x + r} ${y}h${w - 2 * r}a${r} ${r} 0 0 1 ${r} ${r}v${h - 2 * r}a${r} ${r} 0 0 1 ${-r} ${r}h${-(w - 2 * r)}a${r} ${r} 0 0 1 ${-r} ${-r}v${-(h - 2 * r)}a${r} ${r} 0 0 1 ${r} ${-r}z`;

const FOLDER = 'M3 7.5A2.5 2.5 0 0 1 5.5 5H9l2 2h7.5A2.5 2.5 0 0 1 21 9.5v8a2.5 2.5 0 0 1-2.5 2.5h-13A2.5 2.5 0 0 1 3 17.5z';

export const ICONS = {
  logo: ['M3 8.2 12 3l9 5.2v7.6L12 21l-9-5.2z', 'M3 8.2 12 13.4l9-5.2', 'M12 13.4V21', 'M7.5 5.6l9 5.2'],
  search: [circle(11, 11, 7), 'M20.5 20.5 16 16'],
  close: ['M18 6 6 18', 'M6 6l12 12'],
  photos: [rect(3, 3, 18, 18, 3), circle(9, 9, 2), 'M21 15.5 16 10.5 5 21'],
  folder: [FOLDER],
  'folder-plus': [FOLDER, 'M12 10.5v6', 'M9 13.5h6'],
  trash: ['M4 7h16', 'M9.5 7V4.5h5V7', 'M18 7l-.8 12.2A2 2 0 0 1 15.2 21H8.8a2 2 0 0 1-2-1.8L6 7', 'M10 11v6', 'M14 11v6'],
  'chevron-left': ['M15 18l-6-6 6-6'],
  'chevron-right': ['M9 18l6-6-6-6'],
  'arrow-left': ['M19 12H5', 'M12 19l-7-7 7-7'],
  pause: ['M9 5.5v13', 'M15 5.5v13'],
  play: ['M7.5 5.2v13.6L18.5 12z'],
  alert: ['M10.3 4 2.6 17.5A2 2 0 0 0 4.3 20.5h15.4a2 2 0 0 0 1.7-3L13.7 4a2 2 0 0 0-3.4 0z', 'M12 9.5v4', 'M12 17h.01'],
  check: ['M20 6.5 9 17.5l-5-5'],
  'check-circle': [circle(12, 12, 9), 'M8 12.3l2.7 2.7L16 9.7'],
  info: [circle(12, 12, 9), 'M12 16v-4.5', 'M12 8h.01'],
  sparkles: ['M12 3l1.9 5.1L19 10l-5.1 1.9L12 17l-1.9-5.1L5 10l5.1-1.9z', 'M19 15.5l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z'],
  reveal: ['M14 4h6v6', 'M20 4l-8.5 8.5', 'M19 14v4.5a1.5 1.5 0 0 1-1.5 1.5h-12A1.5 1.5 0 0 1 4 18.5v-12A1.5 1.5 0 0 1 5.5 5H10'],
  calendar: [rect(3.5, 5, 17, 15.5, 2.5), 'M3.5 10h17', 'M8 3v4', 'M16 3v4'],
  camera: ['M4.5 8H7.5l1.8-2.5h5.4L16.5 8h3a1.5 1.5 0 0 1 1.5 1.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5v-9A1.5 1.5 0 0 1 4.5 8z', circle(12, 13.5, 3.5)],
  pin: ['M12 21s-6.5-5.8-6.5-11.5a6.5 6.5 0 0 1 13 0C18.5 15.2 12 21 12 21z', circle(12, 9.5, 2.5)],
  size: ['M4 9V4h5', 'M20 15v5h-5', 'M4 4l6 6', 'M20 20l-6-6'],
  file: ['M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z', 'M14 3v5h5'],
  cpu: [rect(6, 6, 12, 12, 2), 'M9.5 2.5V6', 'M14.5 2.5V6', 'M9.5 18v3.5', 'M14.5 18v3.5', 'M2.5 9.5H6', 'M2.5 14.5H6', 'M18 9.5h3.5', 'M18 14.5h3.5'],
  plus: ['M12 5v14', 'M5 12h14'],
  offline: ['M3 3l18 18', 'M8.5 16.5a5 5 0 0 1 7 0', 'M5 12.9a10 10 0 0 1 4.2-2.5', 'M14.8 10.4A10 10 0 0 1 19 12.9', 'M12 20h.01'],
  online: ['M8.5 16.5a5 5 0 0 1 7 0', 'M5 12.9a10 10 0 0 1 14 0', 'M2 9.3a15 15 0 0 1 20 0', 'M12 20h.01'],
  filter: ['M3 5h18l-7 8.5V19l-4 2v-7.5z'],
  download: ['M12 4v11', 'M7 10l5 5 5-5', 'M5 20h14'],
} satisfies Record<string, string[]>;

export type IconName = keyof typeof ICONS;
