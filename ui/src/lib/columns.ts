// Spreadsheet column letters, as the merchant sees them in Excel: A, B, … Z, AA, AB.
export function columnLetter(index: number): string {
  let s = "";
  for (let i = index + 1; i > 0; i = Math.floor((i - 1) / 26)) s = String.fromCharCode(65 + ((i - 1) % 26)) + s;
  return s;
}
