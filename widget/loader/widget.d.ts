// Types of the pvz widget's JavaScript API, served by the proxy at /widget.d.ts.
// The loader (<script src="https://proxy.shop.example/widget.js">) defines `window.PvzWidget`.

/** The widget's options: the script tag's `data-*` attributes without `data-`, as text or numbers. */
export interface PvzWidgetOptions {
  /** `picker` (default): choose a pickup point at checkout; `tracking`: where a parcel is, on the order page. */
  mode?: 'picker' | 'tracking';
  /** The city to start in; without it the map shows the country and moves to the buyer if they share their location. */
  city?: string;
  /** `ru` (default) or `en`. */
  lang?: 'ru' | 'en';
  /** Comma-separated carriers to show (`cdek,russianpost`); all the proxy serves when absent. */
  carriers?: string;
  /** The parcel's weight in grams (1 kg when absent). */
  weight?: number | string;
  /** The parcel's boxes, `LxWxH` in cm, comma-separated for several. */
  dims?: string;
  /** Declared value in roubles: insured by the carrier, its fee in the price. */
  value?: number | string;
  /** Cash on delivery to collect, in roubles: its fee in the price. */
  cod?: number | string;
  /**
   * What the buyer chose before: a point id (`carrier:code`), or the form's `pvz_door` for a door; shown as
   * chosen (a door priced again for the parcel now) and put in the form.
   */
  selected?: string;
  /** With `mode: 'tracking'`: the parcel to show at once. */
  track?: string;
  /** `map` or `list`: which a narrow widget shows first and a wide one puts on the left. */
  first?: 'map' | 'list';
  /** Pickup points, a courier to the door, or both (the default: a switch, the first named shown first). */
  delivery?: 'pickup' | 'door' | 'pickup,door' | 'door,pickup';
  /** `light` (default), `dark`, or `auto` to follow the buyer's system. */
  theme?: 'light' | 'dark' | 'auto';
  /** The brand colour (any CSS colour): buttons, pressed chips, the chosen point. */
  accent?: string;
  /** Corner radius in px, 0 to 32. */
  radius?: number | string;
}

/** A mounted widget. */
export interface PvzWidgetHandle {
  /** Starts the widget again with these options over the old ones (`null` removes one); the buyer's choice is kept. */
  update(changes: { [K in keyof PvzWidgetOptions]?: PvzWidgetOptions[K] | null }): void;
  /** Removes the widget with every listener, timer and request it started. */
  destroy(): void;
}

export interface PvzWidgetApi {
  /** Mounts the widget into `target` (an element or a CSS selector); mounting again on it replaces the widget. */
  mount(target: Element | string, options?: PvzWidgetOptions): PvzWidgetHandle;
}

export type PointKind = 'pickup_point' | 'locker' | 'post_office';

/** The chosen point, as `pvz:select` gives it. */
export interface PvzPoint {
  /** `carrier:code`: what the shop's backend re-checks with `GET /api/v1/points/{id}`. */
  id: string;
  carrier: string;
  kind: PointKind;
  name: string;
  address: string;
  lat: number;
  lon: number;
}

/** Money in kopecks. */
export interface PvzMoney {
  kopecks: number;
  currency: 'RUB';
}

export interface PvzQuote {
  point_id: string;
  carrier: string;
  /** The carrier's tariff, for people. */
  tariff: string;
  /** Everything the shop pays the carrier, the fees in `included` among it. */
  cost: PvzMoney;
  days: { min: number; max: number; from_date?: string; to_date?: string };
  included: { insurance: number; cash_on_delivery_fee: number };
}

/** An address a courier brings the parcel to, as `pvz:select` gives it and the shipments API takes it. */
export interface PvzDoorAddress {
  /** The whole address without the flat: `420015, г. Казань, ул. Мира, д. 5`. */
  full: string;
  city: string;
  region: string;
  street: string;
  house: string;
  /** Flat or office, as the buyer typed it; absent when none was. */
  flat?: string;
  postal_code: string;
  location: { lat: number; lon: number };
}

/** A carrier's price for bringing the parcel to the door. */
export interface PvzDoorQuote {
  carrier: string;
  /** The carrier's name for people. */
  carrier_title: string;
  tariff: string;
  cost: PvzMoney;
  days: { min: number; max: number; from_date?: string; to_date?: string };
  included: { insurance: number; cash_on_delivery_fee: number };
  cheapest: boolean;
  fastest: boolean;
}

export type TrackStatus =
  | 'created' | 'accepted' | 'in_transit' | 'arrived_at_pickup_point' | 'ready_for_pickup'
  | 'out_for_delivery' | 'delivered' | 'returned' | 'problem';

/** `detail` of each event, dispatched on the target element with `bubbles: true, composed: true`. */
export interface PvzEventMap {
  /**
   * Picker: the first points are on the map (`points: 0` with `delivery: 'door'` alone, once the widget has
   * its settings). Tracking: the parcel is shown (or the box waits for a number).
   */
  'pvz:ready': { points?: number; mode?: 'tracking'; number?: string; status?: TrackStatus };
  /**
   * The buyer chose a point (`delivery: 'pickup'`; `quote` is `null` when it had none), or a courier to
   * `address` at `quote`'s price (`delivery: 'door'`).
   */
  'pvz:select':
    | { delivery: 'pickup'; point: PvzPoint; quote: PvzQuote | null }
    | { delivery: 'door'; address: PvzDoorAddress; quote: PvzDoorQuote };
  /**
   * Nothing is chosen any more, and the form's hidden inputs are gone: the buyer pressed "Change" (`changed`),
   * or the point chosen before cannot take the parcel now (`parcel_not_accepted`) or is gone (`point_gone`),
   * or the door's carrier no longer brings it there (`door_unavailable`); then `message` is what the widget
   * told the buyer.
   */
  'pvz:clear': { reason: 'changed' | 'parcel_not_accepted' | 'point_gone' | 'door_unavailable'; message?: string };
  /** The widget could not load its points or its files; it shows the message too. */
  'pvz:error': { code: string; message: string };
}

declare global {
  interface Window {
    PvzWidget: PvzWidgetApi;
  }
  /** On the target element and every element around it (the events bubble). */
  interface ElementEventMap {
    'pvz:ready': CustomEvent<PvzEventMap['pvz:ready']>;
    'pvz:select': CustomEvent<PvzEventMap['pvz:select']>;
    'pvz:clear': CustomEvent<PvzEventMap['pvz:clear']>;
    'pvz:error': CustomEvent<PvzEventMap['pvz:error']>;
  }
  interface DocumentEventMap {
    'pvz:ready': CustomEvent<PvzEventMap['pvz:ready']>;
    'pvz:select': CustomEvent<PvzEventMap['pvz:select']>;
    'pvz:clear': CustomEvent<PvzEventMap['pvz:clear']>;
    'pvz:error': CustomEvent<PvzEventMap['pvz:error']>;
  }
}
