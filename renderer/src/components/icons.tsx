/**
 * The icons the app uses, in one place (lucide, tree-shaken), plus the icon
 * for each credential type. Icons are decorative (aria-hidden); the control
 * around them carries the accessible name.
 */
import {
  CircleCheck,
  Info,
  KeyRound,
  LockKeyhole,
  RectangleEllipsis,
  Ticket,
  TriangleAlert,
  type LucideIcon,
} from 'lucide-react';
import type { CredentialTypeId } from '../../../shared/credential-types/index';

export {
  Activity,
  AlarmClock,
  ArrowDown,
  ArrowUp,
  Ban,
  Bell,
  CalendarCheck,
  CircleX,
  Dices,
  FlaskConical,
  Play,
  Terminal,
  CalendarClock,
  Check,
  CheckCheck,
  ChevronDown,
  ChevronRight,
  CircleCheck,
  Clipboard,
  ClipboardCheck,
  Clock,
  Copy,
  Eye,
  EyeOff,
  FolderOpen,
  Gauge,
  History,
  Info,
  Keyboard,
  KeyRound,
  KeySquare,
  LayoutDashboard,
  LoaderCircle,
  Lock,
  LockKeyhole,
  LockOpen,
  Pencil,
  Plug,
  Plus,
  Power,
  Printer,
  RefreshCw,
  RotateCw,
  ScrollText,
  Search,
  SearchX,
  Settings,
  ShieldX,
  ShieldAlert,
  ShieldCheck,
  Tag,
  Trash2,
  TriangleAlert,
  Undo2,
  Vault,
  WandSparkles,
  X,
} from 'lucide-react';
export type { LucideIcon };

const TYPE_ICONS: Record<CredentialTypeId, LucideIcon> = {
  api_key: KeyRound,
  password: RectangleEllipsis,
  token: Ticket,
  secret: LockKeyhole,
};

export function TypeIcon({ type, size = 16, className }: { type: CredentialTypeId; size?: number; className?: string }) {
  const Icon = TYPE_ICONS[type] ?? KeyRound;
  return <Icon size={size} className={className} aria-hidden="true" />;
}

export const TOAST_ICONS = { success: CircleCheck, error: TriangleAlert, info: Info } as const;
