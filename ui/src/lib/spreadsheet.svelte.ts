// The spreadsheet a merchant hands to an import (contacts, a payout batch): the file, its sheets,
// the sheet chosen, what its header row says, and the column chosen for each field. The screens
// keep what they do with it (preview, send); this keeps how the file is picked and read.
import { open as openDialog } from "@tauri-apps/plugin-dialog";
import { api } from "./api";
import type { BatchColumns, Field, ImportOptions, RememberedColumns, TableInfo } from "../bindings";

/** How an import asks for a file's columns: a contact list's are what its headers say; a payout
 * list's may be the choices remembered for the same headers on the account. */
export type ColumnsOf = (path: string, options: ImportOptions, wanted: Field[]) => Promise<BatchColumns>;

const byHeaders: ColumnsOf = async (path, options, wanted) => ({ info: await api.contactsColumns(path, options, wanted), remembered: null });

export const SPREADSHEET_EXTENSIONS = ["csv", "txt", "xlsx", "xlsm", "xls", "ods"];

export class Spreadsheet {
  path = $state("");
  sheets: string[] = $state([]);
  sheet = $state("");
  info: TableInfo | null = $state(null);
  // The columns chosen before for these headers, when they were applied.
  remembered: RememberedColumns | null = $state(null);
  // Column letter chosen for each field ("" = none).
  chosen: Record<string, string> = $state({});

  // The fields this import reads, in the order the column choices are shown.
  readonly fields: Field[];
  // Those it can't do without: the sheet that has them is found when none is chosen.
  readonly required: Field[];
  private readonly columnsOf: ColumnsOf;

  constructor(fields: Field[], required: Field[], columnsOf: ColumnsOf = byHeaders) {
    this.fields = fields;
    this.required = required;
    this.columnsOf = columnsOf;
  }

  // The file to read: the path without the spaces around it.
  get source(): string {
    return this.path.trim();
  }

  options(): ImportOptions {
    return {
      sheet: this.sheet || null,
      columns: this.fields.filter((f) => this.chosen[f]).map((f) => ({ field: f, column: this.chosen[f] ?? "" })),
    };
  }

  // The native file dialog; true when the merchant picked a file (then read it).
  async pick(filterName: string): Promise<boolean> {
    const picked = await openDialog({ multiple: false, filters: [{ name: filterName, extensions: SPREADSHEET_EXTENSIONS }] });
    if (typeof picked !== "string") return false;
    this.path = picked;
    return true;
  }

  // The file's sheets, then the columns of the one that has the required columns (the first
  // one when none has them).
  async read(): Promise<void> {
    this.info = null;
    this.chosen = {};
    this.sheets = [];
    this.sheet = "";
    this.sheets = (await api.contactsSheets(this.source)).sheets;
    await this.columns();
  }

  // The chosen sheet's columns; those its headers name are chosen for their fields.
  async columns(): Promise<void> {
    const { info, remembered } = await this.columnsOf(this.source, { sheet: this.sheet || null, columns: [] }, this.required);
    this.info = info;
    this.remembered = remembered;
    this.sheet = info.sheet ?? "";
    this.chosen = Object.fromEntries(info.columns.filter((c) => this.fields.includes(c.field)).map((c) => [c.field, c.letter]));
  }
}
