import { escapeHtml } from '../src/html';

describe('escapeHtml', () => {
  it('turns the five HTML-significant characters into character references', () => {
    expect(escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`)).toBe(
      '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;Tom &#38; Jerry&#60;/a&#62;',
    );
  });

  it('leaves other text alone, Chinese included', () => {
    expect(escapeHtml('龙井 250g · ¥68.00 (o_console_user)')).toBe('龙井 250g · ¥68.00 (o_console_user)');
    expect(escapeHtml('')).toBe('');
  });

  it('keeps a hostile value inside its attribute', () => {
    const html = `<input value="${escapeHtml('" onfocus="alert(1)')}">`;
    expect(html).toBe('<input value="&#34; onfocus=&#34;alert(1)">');
    expect(html.match(/"/g)).toHaveLength(2);
  });

  it('escapes what it already escaped again (text in, HTML out; never call it twice)', () => {
    expect(escapeHtml('&#60;')).toBe('&#38;#60;');
  });
});
