/**
 * A product's images as a form field (`value` / `onChange`, a list of URLs): upload (the raw
 * bytes through `uploadImage`), preview, drag to reorder (the first is the cover), remove.
 * Dragging works by mouse and by keyboard (Space to lift, arrows to move, Space to drop).
 */
import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type DragEndEvent,
} from '@dnd-kit/core';
import {
  arrayMove,
  horizontalListSortingStrategy,
  SortableContext,
  sortableKeyboardCoordinates,
  useSortable,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { UPLOAD_IMAGE_TYPES } from '@chatmall/shared';
import { DeleteOutlined, DragOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Image, Space, Tag, Typography, Upload } from 'antd';
import { useRef, useState } from 'react';
import { api } from '../../api/client';
import { problemText } from '../../api/messages';

export const MAX_IMAGES = 9;

export function ImageListField({
  value = [],
  onChange,
  onUploadError,
}: {
  value?: string[];
  onChange?: (urls: string[]) => void;
  onUploadError?: (text: string | null) => void;
}) {
  const [uploading, setUploading] = useState(0);
  // Several files picked at once finish one by one: each appends to the list as it is by then.
  const latest = useRef(value);
  latest.current = value;
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );

  function onDragEnd({ active, over }: DragEndEvent) {
    if (!over || active.id === over.id) return;
    const from = value.indexOf(String(active.id));
    const to = value.indexOf(String(over.id));
    if (from >= 0 && to >= 0) onChange?.(arrayMove(value, from, to));
  }

  async function upload(file: File) {
    setUploading((n) => n + 1);
    onUploadError?.(null);
    try {
      // The endpoint takes the image's raw bytes; the console's transport sends a Blob as is.
      const { url } = await api.uploadImage({ body: file as unknown as Record<string, never> });
      const now = latest.current;
      if (!now.includes(url) && now.length < MAX_IMAGES) {
        latest.current = [...now, url];
        onChange?.(latest.current);
      }
    } catch (err) {
      onUploadError?.(`${file.name}：${problemText(err)}`);
    } finally {
      setUploading((n) => n - 1);
    }
  }

  return (
    <div className="image-list">
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={value} strategy={horizontalListSortingStrategy}>
          <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12, alignItems: 'flex-start' }}>
            {value.map((url, i) => (
              <SortableImage
                key={url}
                url={url}
                cover={i === 0}
                onRemove={() => onChange?.(value.filter((u) => u !== url))}
              />
            ))}
            {value.length < MAX_IMAGES && (
              <Upload
                accept={UPLOAD_IMAGE_TYPES.join(',')}
                multiple
                showUploadList={false}
                beforeUpload={(file) => {
                  void upload(file);
                  return false;
                }}
              >
                <button
                  type="button"
                  className="upload-image"
                  style={{
                    width: 104,
                    height: 104,
                    border: '1px dashed #d9d9d9',
                    borderRadius: 8,
                    background: '#fafafa',
                    cursor: 'pointer',
                  }}
                >
                  <PlusOutlined />
                  <div style={{ marginTop: 6 }}>{uploading > 0 ? '上传中… Uploading' : '上传图片 Upload'}</div>
                </button>
              </Upload>
            )}
          </div>
        </SortableContext>
      </DndContext>
      <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
        拖动排序，第一张为封面；最多 {MAX_IMAGES} 张，PNG / JPEG / WebP / GIF · Drag to reorder, the first is the cover;
        at most {MAX_IMAGES}
      </Typography.Text>
    </div>
  );
}

function SortableImage({ url, cover, onRemove }: { url: string; cover: boolean; onRemove: () => void }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: url,
  });
  return (
    <div
      ref={setNodeRef}
      className="image-item"
      data-url={url}
      style={{
        width: 104,
        transform: CSS.Translate.toString(transform),
        transition,
        zIndex: isDragging ? 2 : undefined,
        opacity: isDragging ? 0.85 : 1,
      }}
    >
      <div style={{ position: 'relative' }}>
        <Image
          src={url}
          width={104}
          height={104}
          style={{ objectFit: 'cover', borderRadius: 8, border: '1px solid #f0f0f0' }}
        />
        {cover && (
          <Tag color="green" style={{ position: 'absolute', left: 4, top: 4, marginInlineEnd: 0 }}>
            封面 Cover
          </Tag>
        )}
      </div>
      <Space size={0} style={{ width: '100%', justifyContent: 'space-between' }}>
        <Button
          ref={setActivatorNodeRef}
          type="text"
          size="small"
          className="drag-image"
          icon={<DragOutlined />}
          style={{ cursor: 'grab', touchAction: 'none' }}
          aria-label="拖动排序 Drag to reorder"
          {...attributes}
          {...listeners}
        />
        <Button
          type="text"
          size="small"
          danger
          className="remove-image"
          icon={<DeleteOutlined />}
          aria-label="移除 Remove"
          onClick={onRemove}
        />
      </Space>
    </div>
  );
}
