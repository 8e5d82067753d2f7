// Lists on a phone: each row of a table.list becomes a card (style.css, narrow screens), and each
// cell shows its column's heading before its value. labelTables keeps every cell of every such
// table under `root` labelled with its column's heading (data-label), whichever code drew the
// table, as tables come and go.
export function labelTables(root) {
  const label = (table) => {
    const headings = [...table.querySelectorAll(':scope > thead th')].map((th) => th.textContent.trim());
    if (headings.length === 0) return;
    for (const row of table.querySelectorAll(':scope > tbody > tr, :scope > tfoot > tr')) {
      [...row.children].forEach((cell, i) => {
        const heading = headings[i] ?? '';
        if (cell.getAttribute('data-label') !== heading) cell.setAttribute('data-label', heading);
      });
    }
  };
  const all = () => root.querySelectorAll('table.list').forEach(label);
  new MutationObserver(all).observe(root, { childList: true, subtree: true });
  all();
}
