/** 导出 CSV Export: the orders of the list's current filter as a CSV file (owner and clerk). */
import { DownloadOutlined } from '@ant-design/icons';
import type { OrderStatus } from '@chatmall/shared';
import { App, Button } from 'antd';
import { useState } from 'react';
import { mayCall } from '../../access';
import { download } from '../../api/download';
import { problemText } from '../../api/messages';
import { useSession } from '../../api/use-session';

export function ExportButton({ status }: { status: OrderStatus | undefined }) {
  const { message } = App.useApp();
  const role = useSession()?.staff.role;
  const [busy, setBusy] = useState(false);
  if (!mayCall(role, 'exportOrders')) return null;
  return (
    <Button
      className="export-orders"
      icon={<DownloadOutlined />}
      loading={busy}
      onClick={async () => {
        setBusy(true);
        try {
          const name = await download('exportOrders', { query: { status } });
          message.success(`已导出 ${name} · Exported`);
        } catch (err) {
          message.error(`导出失败 Export failed · ${problemText(err)}`);
        } finally {
          setBusy(false);
        }
      }}
    >
      导出 CSV Export
    </Button>
  );
}
