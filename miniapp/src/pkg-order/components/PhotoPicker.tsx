import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Image, Text, View } from '@tarojs/components';
import { MAX_PHOTOS } from '@chatmall/shared';
import { showError } from '../../services/api';
import { mediaUrl } from '../../services/media';
import { choosePhotos, uploadPhoto } from '../../services/photos';
import './PhotoPicker.css';

/** Up to 6 photos, each uploaded as soon as it is chosen (the buyer's own uploads); tap × to drop one. */
export function PhotoPicker({ value, onChange }: { value: string[]; onChange: (urls: string[]) => void }) {
  const [uploading, setUploading] = useState(0);
  const room = MAX_PHOTOS - value.length - uploading;

  const add = async () => {
    if (room <= 0) return;
    let chosen: Awaited<ReturnType<typeof choosePhotos>>;
    try {
      chosen = await choosePhotos(room);
    } catch {
      return; // the buyer closed the picker
    }
    setUploading((n) => n + chosen.length);
    let urls = value;
    for (const photo of chosen) {
      try {
        urls = [...urls, await uploadPhoto(photo)];
        onChange(urls);
      } catch (err) {
        showError(err);
      } finally {
        setUploading((n) => n - 1);
      }
    }
  };

  return (
    <View className="photo-picker">
      {value.map((url) => (
        <View key={url} className="photo-picker__item">
          <Image
            className="photo-picker__image"
            src={mediaUrl(url)}
            mode="aspectFill"
            onClick={() => void Taro.previewImage({ current: mediaUrl(url), urls: value.map((u) => mediaUrl(u)) })}
          />
          <View className="photo-picker__remove" onClick={() => onChange(value.filter((u) => u !== url))}>
            ×
          </View>
        </View>
      ))}
      {Array.from({ length: uploading }, (_, i) => (
        <View key={`up-${i}`} className="photo-picker__item photo-picker__item--uploading">
          <Text>上传中…</Text>
        </View>
      ))}
      {room > 0 && (
        <View className="photo-picker__item photo-picker__add" onClick={() => void add()}>
          <Text className="photo-picker__plus">+</Text>
          <Text className="photo-picker__hint">
            照片 {value.length}/{MAX_PHOTOS}
          </Text>
        </View>
      )}
    </View>
  );
}
