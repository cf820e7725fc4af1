/** HTML for the sandbox's console and payment pages; every surface escapes with this one function. */

/** Text (or an attribute value) safe inside HTML: & < > " ' become numeric character references. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
