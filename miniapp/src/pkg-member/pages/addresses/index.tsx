import { useCallback, useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import type { Address } from '@chatmall/shared';
import { AddressCard } from '../../../components/AddressCard';
import { AddressForm } from '../../../components/AddressForm';
import { H5NavBar } from '../../../components/H5NavBar';
import { StateView } from '../../../components/StateView';
import { api, errorMessage, showError } from '../../../services/api';
import './index.css';

type Load = { status: 'loading' } | { status: 'error'; message: string } | { status: 'ready'; items: Address[] };

export default function AddressesPage() {
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [adding, setAdding] = useState(false);
  /** The saved address being changed, shown as a form in its place. */
  const [editing, setEditing] = useState<string | null>(null);

  const fetchList = useCallback(async () => {
    setLoad({ status: 'loading' });
    try {
      const { items } = await api.listAddresses({});
      setLoad({ status: 'ready', items });
      setAdding(items.length === 0);
    } catch (err) {
      setLoad({ status: 'error', message: errorMessage(err) });
    }
  }, []);

  useEffect(() => {
    void fetchList();
  }, [fetchList]);

  if (load.status !== 'ready')
    return (
      <View className="addresses">
        <H5NavBar title="收货地址 Addresses" />
        {load.status === 'loading' ? (
          <StateView kind="loading" />
        ) : (
          <StateView kind="error" text={load.message} onRetry={() => void fetchList()} />
        )}
      </View>
    );

  const refresh = async () => {
    const { items } = await api.listAddresses({});
    setLoad({ status: 'ready', items });
  };
  const makeDefault = async (a: Address) => {
    try {
      await api.updateAddress({ params: { id: a.id }, body: { isDefault: true } });
      await refresh();
    } catch (err) {
      showError(err);
    }
  };
  const remove = async (a: Address) => {
    const answer = await Taro.showModal({ title: '删除这个地址？', content: `${a.recipient} ${a.detail}` });
    if (!answer.confirm) return;
    try {
      const { items } = await api.removeAddress({ params: { id: a.id } });
      setLoad({ status: 'ready', items });
    } catch (err) {
      showError(err);
    }
  };

  return (
    <View className="addresses">
      <H5NavBar title="收货地址 Addresses" />
      {load.items.length === 0 && !adding && <StateView kind="empty" text="还没有收货地址 · No addresses yet" />}
      {load.items.map((a) =>
        a.id === editing ? (
          <View key={a.id} className="card address-item address-item--editing">
            <Text className="card__title">修改地址 Edit address</Text>
            <AddressForm
              address={a}
              onSaved={() => {
                setEditing(null);
                void refresh().catch(showError);
              }}
              onCancel={() => setEditing(null)}
            />
          </View>
        ) : (
          <View key={a.id} className="card address-item">
            <AddressCard address={a} />
            <View className="address-item__actions">
              <Text
                className="address-item__action address-item__edit"
                onClick={() => {
                  setAdding(false);
                  setEditing(a.id);
                }}
              >
                编辑 Edit
              </Text>
              {!a.isDefault && (
                <Text className="address-item__action address-item__make-default" onClick={() => void makeDefault(a)}>
                  设为默认 Default
                </Text>
              )}
              <Text className="address-item__action address-item__remove" onClick={() => void remove(a)}>
                删除 Delete
              </Text>
            </View>
          </View>
        ),
      )}
      {adding ? (
        <View className="card">
          <Text className="card__title">新增地址 New address</Text>
          <AddressForm
            makeDefault={load.items.length === 0}
            onSaved={() => {
              setAdding(false);
              void refresh().catch(showError);
            }}
            onCancel={load.items.length > 0 ? () => setAdding(false) : undefined}
          />
        </View>
      ) : editing ? null : (
        <View
          className="btn addresses__add"
          onClick={() => {
            setEditing(null);
            setAdding(true);
          }}
        >
          ＋ 新增地址 New address
        </View>
      )}
    </View>
  );
}
