/**
 * Styles for the shadow root. Host-page rules never match inside it, but
 * inherited properties (font, colour, line-height…) and rules aimed at the
 * host element itself do: `all: initial !important` on :host resets them, and
 * an !important rule inside a shadow tree beats an !important rule from the
 * page (CSS Cascade 5, "context"), so `* { display: inline !important }` on the
 * page cannot collapse the box. Custom properties are untouched by `all`, so
 * the page can still theme the widget with --dj-* variables.
 * Every element gets an explicit display so nothing depends on UA defaults.
 */
/**
 * The dark palette. A site's --dj-accent is chosen for a light page and is
 * usually too dark to read on a dark one (#0b5cad on #15181d: 2.7:1), so dark
 * boxes take --dj-accent-dark instead, and text on the accent turns dark.
 * Highlighted words always take the text colour: the accent of a title on
 * the dark highlight would read at 2.5:1.
 */
const dark =
  '--bg:var(--dj-bg,#15181d);--fg:var(--dj-fg,#e6e8eb);--mu:var(--dj-muted,#a4adb8);--bd:var(--dj-border,#3a414b);--ib:var(--dj-input-border,#6e7781);--sf:var(--dj-surface,#1f242b);--mk:var(--dj-mark,#7a5c00);--a:var(--dj-accent-dark,#ff7b72);--oa:var(--bg)';
/**
 * Where color-mix() works, the default dark accent is the site's own accent
 * halfway to white (#0b5cad → #85aed6, 7.6:1 on the dark background; the
 * default #b4232a → #da9195, 7.1:1), so a blue site stays blue at night;
 * older browsers keep the fixed default above.
 */
const derivedDarkAccent = '--a:var(--dj-accent-dark,color-mix(in srgb,var(--dj-accent,#b4232a) 50%,#fff))';

export const styles = `
:host{all:initial!important;display:block!important;position:relative!important;min-width:0!important}
:host([hidden]){display:none!important}
.dj{--a:var(--dj-accent,#b4232a);--oa:#fff;--bg:var(--dj-bg,#fff);--fg:var(--dj-fg,#1f2328);--mu:var(--dj-muted,#5b6470);--bd:var(--dj-border,#cfd5dc);--ib:var(--dj-input-border,#8c959f);--sf:var(--dj-surface,#f5f6f8);--mk:var(--dj-mark,#ffe58a);--r:var(--dj-radius,8px);
display:block;box-sizing:border-box;font-family:var(--dj-font,system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif);font-size:var(--dj-font-size,16px);line-height:1.6;color:var(--fg);background:var(--bg);text-align:left;overflow-wrap:anywhere;-webkit-text-size-adjust:100%}
.dj:lang(zh-TW){font-family:var(--dj-font,system-ui,-apple-system,"PingFang TC","Microsoft JhengHei","Noto Sans CJK TC",sans-serif)}
.dj:lang(zh-HK){font-family:var(--dj-font,system-ui,-apple-system,"PingFang HK","Microsoft JhengHei","Noto Sans CJK HK","Noto Sans CJK TC",sans-serif)}
.dark{${dark}}
@media (prefers-color-scheme:dark){.auto{${dark}}}
@supports (color:color-mix(in srgb,red 50%,blue)){.dark{${derivedDarkAccent}}@media (prefers-color-scheme:dark){.auto{${derivedDarkAccent}}}}
*,*::before,*::after{box-sizing:border-box}
div,form,p,ol,ul,li,section{display:block;margin:0;padding:0}
span,a,mark,b{display:inline}
[hidden]{display:none!important}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
form{display:flex;gap:8px;align-items:stretch}
.combo{display:block;position:relative;flex:1 1 auto;min-width:0}
input{display:block;width:100%;min-height:44px;margin:0;padding:8px 12px;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--ib);border-radius:var(--r);outline:none;-webkit-appearance:none;appearance:none}
input:focus{border-color:var(--a);box-shadow:0 0 0 3px color-mix(in srgb,var(--a) 25%,transparent)}
button{display:inline-block;margin:0;font:inherit;line-height:1.4;cursor:pointer;color:inherit;background:none;border:0;border-radius:var(--r);-webkit-appearance:none;appearance:none}
button:focus-visible,a:focus-visible{outline:2px solid var(--a);outline-offset:2px}
.go{display:block;flex:0 0 auto;min-height:44px;padding:8px 16px;color:var(--oa);background:var(--a);font-weight:600}
[role=listbox]{display:block;position:absolute;z-index:2147483000;left:0;right:0;top:calc(100% + 4px);max-height:min(60vh,360px);overflow-y:auto;margin:0;padding:4px;list-style:none;background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);box-shadow:0 8px 24px rgba(0,0,0,.15)}
[role=option]{display:flex;gap:8px;align-items:baseline;justify-content:space-between;padding:8px 10px;border-radius:calc(var(--r) - 2px);cursor:pointer}
[role=option][aria-selected=true]{background:var(--sf);outline:2px solid var(--a);outline-offset:-2px}
[role=option]:hover{background:var(--sf)}
.k{display:inline;flex:0 0 auto;font-size:.75em;color:var(--mu)}
.st{display:block;margin:10px 0 0;color:var(--mu);font-size:.9em}
.st a{color:var(--a)}
.st button,.lm button,.pg button{display:inline-block;min-height:36px;margin:4px 6px 0 0;padding:4px 12px;border:1px solid var(--bd);background:var(--bg)}
.fs{display:block;margin:8px 0 0}
.fg{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0 0}
.fl{display:inline;font-size:.85em;color:var(--mu);margin-right:2px}
.chip{display:inline-flex;align-items:center;min-height:32px;padding:2px 12px;font-size:.85em;border:1px solid var(--bd);border-radius:999px;background:var(--bg);color:var(--fg)}
.chip[aria-pressed=true]{color:var(--oa);background:var(--a);border-color:var(--a)}
.chip .n{display:inline;margin-left:4px;opacity:.7}
.cl{display:flex;flex-wrap:wrap;gap:6px;align-items:center}
.ff{display:block;width:100%;min-height:36px;padding:4px 10px;font-size:.85em}
.ctl{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;margin:10px 0 0;font-size:.9em;color:var(--mu)}
.ctl label{display:inline}
.yr{display:inline-flex;gap:6px;align-items:center}
.sg{display:inline-flex;gap:4px;align-items:center;margin-right:8px}
.so{display:inline-block;min-height:32px;padding:2px 10px;border:1px solid var(--bd);background:var(--bg);color:var(--fg)}
.so[aria-pressed=true]{color:var(--oa);background:var(--a);border-color:var(--a)}
.ctl select,.ctl input{display:inline-block;width:auto;min-height:36px;padding:4px 8px;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--ib);border-radius:var(--r)}
.ctl input{width:6.5em}
.act{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0 0}
.ac{display:inline-flex;align-items:center;min-height:32px;padding:2px 12px;font-size:.85em;border:1px solid var(--a);border-radius:999px;color:var(--a);background:var(--bg)}
.clr{display:inline-flex;align-items:center;min-height:32px;padding:2px 8px;font-size:.85em;color:var(--a);text-decoration:underline}
.tk{display:inline;color:var(--mu)}
.ex{display:inline-block;min-height:32px;line-height:30px;margin-left:auto;padding:0 12px;border:1px solid var(--a);border-radius:var(--r);color:var(--a);text-decoration:none}
.nw{display:block;font-weight:600;color:var(--fg)}
.more{display:inline-flex;align-items:center;min-height:32px;font-size:.85em;color:var(--a);padding:2px 8px}
.hits{display:block;list-style:none;margin:8px 0 0;padding:0}
.hit{display:block;padding:12px 0;border-top:1px solid var(--bd)}
.t{display:inline-block;min-height:32px;padding:3px 0;font-size:1.05em;font-weight:600;color:var(--a);text-decoration:none}
a.t:hover{text-decoration:underline}
.sn{display:block;margin:4px 0 0;color:var(--fg)}
mark{background:var(--mk);color:var(--fg);padding:0 1px;border-radius:2px}
.m{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0 0}
.m span{display:inline-block;padding:0 8px;font-size:.8em;color:var(--mu);background:var(--sf);border-radius:999px}
.m .aw{color:var(--a)}
.m .og{display:inline-flex;align-items:center;min-height:32px;min-width:32px;padding:0 4px;font-size:.8em;color:var(--a)}
.rb{display:inline-flex;align-items:center;min-height:32px;margin:4px 0 0;padding:2px 0;font-size:.85em;color:var(--a)}
.rel{display:block;margin:6px 0 0 12px;padding-left:12px;border-left:2px solid var(--bd);font-size:.9em}
.rel li{display:block;padding:4px 0}
.rel .kw{display:block;font-size:.85em;color:var(--mu)}
.lm,.pg{display:flex;flex-wrap:wrap;gap:8px;align-items:center;justify-content:center;margin:8px 0 0}
.pg span{display:inline;color:var(--mu);font-size:.9em}
.ft{display:none;min-height:36px;margin:8px 0 0;padding:4px 14px;border:1px solid var(--bd);color:var(--fg);background:var(--bg)}
.ft::after{content:"";display:inline-block;width:.45em;height:.45em;margin:0 0 .2em .6em;border:solid currentColor;border-width:0 2px 2px 0;transform:rotate(45deg)}
.ft[aria-expanded=true]::after{margin-bottom:-.1em;transform:rotate(-135deg)}
@media (max-width:599px){.box .ft{display:inline-block}.box .fs:not(.open){display:none}}
@media (max-width:899px){.page .ft{display:inline-block}.page .fs:not(.open){display:none}}
.page .cols{display:block}
@media (min-width:900px){.page .cols{display:grid;grid-template-columns:260px minmax(0,1fr);gap:24px}.page .fs{margin-top:10px}.page .fl{flex-basis:100%}}
`;
