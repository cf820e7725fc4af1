/**
 * A phone as a follower holds it: the account's chat with its title, messages, and (for the
 * menu editor) the custom menu bar at the bottom, with a group's sub-buttons popping up above
 * it as WeChat draws them. Used by the menu editor and the campaign composer's preview.
 */
import type { CSSProperties, ReactNode } from 'react';

export function PhoneFrame({
  title,
  children,
  bottom,
  className,
}: {
  title: string;
  children?: ReactNode;
  bottom?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={className}
      style={{
        width: 300,
        height: 580,
        margin: '0 auto',
        border: '10px solid #1f1f1f',
        borderRadius: 36,
        background: '#ededed',
        display: 'flex',
        flexDirection: 'column',
        overflow: 'hidden',
        boxShadow: '0 6px 20px rgba(0,0,0,0.15)',
      }}
    >
      <div style={{ height: 22, background: '#ededed' }} />
      <div
        style={{
          textAlign: 'center',
          padding: '8px 0',
          fontWeight: 600,
          borderBottom: '1px solid #d9d9d9',
          background: '#ededed',
        }}
      >
        {title}
      </div>
      <div style={{ flex: 1, overflowY: 'auto', padding: 12, display: 'flex', flexDirection: 'column', gap: 10 }}>
        {children}
      </div>
      {bottom}
    </div>
  );
}

/** The account's avatar and a white bubble, as a received message shows. */
export function IncomingBubble({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  return (
    <div style={{ display: 'flex', gap: 8, alignItems: 'flex-start' }}>
      <div style={{ width: 32, height: 32, borderRadius: 4, background: '#07c160', flex: 'none' }} />
      <div
        style={{
          background: '#fff',
          borderRadius: 6,
          padding: '8px 10px',
          fontSize: 13,
          maxWidth: 220,
          wordBreak: 'break-word',
          whiteSpace: 'pre-wrap',
          ...style,
        }}
      >
        {children}
      </div>
    </div>
  );
}

export interface MenuBarButton {
  name: string;
  subButtons: string[];
  /** This top-level button or one of its sub-buttons is chosen (the editor's selection). */
  selected: boolean;
  selectedSub: number | null;
  bad: boolean;
  badSubs: number[];
}

/** The menu bar: up to three buttons; the chosen group's sub-buttons pop up above it. */
export function MenuBar({
  buttons,
  onPick,
  extra,
}: {
  buttons: MenuBarButton[];
  onPick?: (top: number, sub?: number) => void;
  /** A last cell, e.g. "+" to add a button. */
  extra?: ReactNode;
}) {
  return (
    <div
      className="menu-bar"
      style={{ display: 'flex', borderTop: '1px solid #d9d9d9', background: '#f7f7f7', height: 48 }}
    >
      <div style={{ width: 40, display: 'flex', alignItems: 'center', justifyContent: 'center', color: '#8c8c8c' }}>
        ⌨
      </div>
      {buttons.map((b, i) => (
        <div key={i} style={{ flex: 1, position: 'relative', borderLeft: '1px solid #e5e5e5' }}>
          {b.selected && b.subButtons.length > 0 && (
            <div
              className="menu-popup"
              style={{
                position: 'absolute',
                bottom: 54,
                left: 4,
                right: 4,
                background: '#fff',
                borderRadius: 6,
                boxShadow: '0 2px 8px rgba(0,0,0,0.15)',
                zIndex: 2,
              }}
            >
              {b.subButtons.map((s, j) => (
                <div
                  key={j}
                  className={`menu-sub menu-sub-${i}-${j}`}
                  onClick={() => onPick?.(i, j)}
                  style={{
                    padding: '8px 4px',
                    textAlign: 'center',
                    fontSize: 13,
                    cursor: onPick ? 'pointer' : undefined,
                    borderBottom: j < b.subButtons.length - 1 ? '1px solid #f0f0f0' : undefined,
                    color: b.badSubs.includes(j) ? '#ff4d4f' : b.selectedSub === j ? '#07c160' : undefined,
                    fontWeight: b.selectedSub === j ? 600 : undefined,
                  }}
                >
                  {s || '（未命名）'}
                </div>
              ))}
            </div>
          )}
          <div
            className={`menu-top menu-top-${i}`}
            onClick={() => onPick?.(i)}
            style={{
              height: '100%',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              fontSize: 13,
              cursor: onPick ? 'pointer' : undefined,
              color: b.bad ? '#ff4d4f' : b.selected && b.selectedSub === null ? '#07c160' : undefined,
              fontWeight: b.selected ? 600 : undefined,
              padding: '0 4px',
              textAlign: 'center',
              overflow: 'hidden',
            }}
          >
            {b.subButtons.length > 0 && <span style={{ marginRight: 2, color: '#8c8c8c' }}>≡</span>}
            {b.name || '（未命名）'}
          </div>
        </div>
      ))}
      {extra}
    </div>
  );
}
