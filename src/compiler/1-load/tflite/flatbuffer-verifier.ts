/**
 * A bounds checker for flatbuffers, run before any generated accessor touches
 * the bytes.
 *
 * The `flatbuffers` JS runtime does no bounds checking: an offset past the end
 * reads `undefined` as 0 and carries on. So, like the C++ `flatbuffers::Verifier`
 * that TFLite runs, we walk every table, vtable, vector and string reachable
 * through the fields described by a `TableLayout` and reject anything that is
 * out of bounds, misaligned or cyclic-deep, before reading.
 *
 * Wire format facts used here (flatbuffers "Internals"): a table starts with
 * an int32 soffset to its vtable (vtable = table - soffset); a vtable is
 * uint16 [vtableSize, tableInlineSize, fieldOffset...]; an offset field holds
 * a uint32 relative to its own position; a vector is a uint32 length followed
 * by its elements; a string is a byte vector followed by a NUL.
 */

export type FieldLayout =
  | { kind: 'scalar'; size: 1 | 2 | 4 | 8 }
  | { kind: 'string' }
  | { kind: 'vector'; elemSize: 1 | 2 | 4 | 8 }
  | { kind: 'tables'; table: () => TableLayout }
  | { kind: 'table'; table: () => TableLayout }
  /** A union's value slot; its type is the ubyte scalar in the slot before. */
  | { kind: 'union'; members: Record<number, () => TableLayout> };

export interface TableLayout {
  name: string;
  /** Indexed by vtable slot (declaration order). Slots we never read may be omitted (undefined). */
  fields: (FieldLayout | undefined)[];
}

/** Thrown by `verifyFlatbuffer` with a message saying what is wrong and where. */
export class FlatbufferLayoutError extends Error {}

const MAX_DEPTH = 64;

export function verifyFlatbuffer(bytes: Uint8Array, root: TableLayout): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.byteLength;
  const bad = (what: string): never => {
    throw new FlatbufferLayoutError(what);
  };
  const need = (pos: number, len: number, what: string): void => {
    if (!Number.isInteger(pos) || pos < 0 || len < 0 || pos + len > size) {
      bad(`${what} at byte ${pos} (length ${len}) lies outside the ${size}-byte file`);
    }
  };
  const aligned = (pos: number, align: number, what: string): void => {
    if (pos % align !== 0) bad(`${what} at byte ${pos} is not ${align}-byte aligned`);
  };
  const follow = (pos: number, what: string): number => {
    need(pos, 4, what);
    aligned(pos, 4, what);
    return pos + view.getUint32(pos, true);
  };

  const verifyVector = (pos: number, elemSize: number, what: string): number => {
    need(pos, 4, `${what} length`);
    aligned(pos, 4, `${what} length`);
    const n = view.getUint32(pos, true);
    need(pos + 4, n * elemSize, `${what} (${n} elements)`);
    return n;
  };

  // Tables already checked, so a hostile file that points many vector entries
  // at one big table costs one walk, not one per reference.
  const verified = new Map<TableLayout, Set<number>>();

  const verifyTable = (pos: number, layout: TableLayout, depth: number): void => {
    const what = `${layout.name} table`;
    let seen = verified.get(layout);
    if (!seen) verified.set(layout, (seen = new Set()));
    if (seen.has(pos)) return;
    seen.add(pos);
    if (depth > MAX_DEPTH) bad(`${what} nested deeper than ${MAX_DEPTH} levels`);
    need(pos, 4, what);
    aligned(pos, 4, what);
    const vtable = pos - view.getInt32(pos, true);
    need(vtable, 4, `${layout.name} vtable`);
    aligned(vtable, 2, `${layout.name} vtable`);
    const vtableSize = view.getUint16(vtable, true);
    const inlineSize = view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0) bad(`${layout.name} vtable at byte ${vtable} has invalid size ${vtableSize}`);
    need(vtable, vtableSize, `${layout.name} vtable`);
    if (inlineSize < 4) bad(`${what} at byte ${pos} has invalid inline size ${inlineSize}`);
    need(pos, inlineSize, what);
    const slotCount = (vtableSize - 4) / 2;

    const fieldPos = (slot: number, fieldSize: number): number => {
      if (slot >= slotCount) return 0;
      const off = view.getUint16(vtable + 4 + 2 * slot, true);
      if (off === 0) return 0;
      if (off < 4 || off + fieldSize > inlineSize)
        bad(`${layout.name} field ${slot} at offset ${off} lies outside its table (${inlineSize} bytes)`);
      return pos + off;
    };

    layout.fields.forEach((field, slot) => {
      if (!field) return;
      const fieldName = `${layout.name} field ${slot}`;
      switch (field.kind) {
        case 'scalar':
          fieldPos(slot, field.size);
          return;
        case 'string': {
          const at = fieldPos(slot, 4);
          if (!at) return;
          const s = follow(at, fieldName);
          const n = verifyVector(s, 1, `${fieldName} string`);
          need(s + 4 + n, 1, `${fieldName} string terminator`);
          if (bytes[s + 4 + n] !== 0) bad(`${fieldName} string at byte ${s} is not NUL-terminated`);
          return;
        }
        case 'vector': {
          const at = fieldPos(slot, 4);
          if (at) verifyVector(follow(at, fieldName), field.elemSize, `${fieldName} vector`);
          return;
        }
        case 'table': {
          const at = fieldPos(slot, 4);
          if (at) verifyTable(follow(at, fieldName), field.table(), depth + 1);
          return;
        }
        case 'tables': {
          const at = fieldPos(slot, 4);
          if (!at) return;
          const v = follow(at, fieldName);
          const n = verifyVector(v, 4, `${fieldName} vector`);
          const elemLayout = field.table();
          for (let i = 0; i < n; i++) verifyTable(follow(v + 4 + 4 * i, `${fieldName}[${i}]`), elemLayout, depth + 1);
          return;
        }
        case 'union': {
          const at = fieldPos(slot, 4);
          const typeAt = slot > 0 ? fieldPos(slot - 1, 1) : 0;
          const type = typeAt ? bytes[typeAt]! : 0;
          if (type === 0) return; // NONE: any value is ignored by readers
          const member = field.members[type];
          if (!at) bad(`${fieldName} union has type ${type} but no value`);
          // A member we do not describe is left unread; the reader rejects or ignores it.
          if (member) verifyTable(follow(at, fieldName), member(), depth + 1);
          return;
        }
      }
    });
  };

  need(0, 8, 'file header');
  verifyTable(follow(0, 'root offset'), root, 0);
}
