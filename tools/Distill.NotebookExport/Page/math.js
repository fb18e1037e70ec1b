// Typesets the LaTeX of markdown cells, which the exporter marks as \(...\) (inline) or \[...\] (display) inside an
// element of class "math", with the KaTeX inlined above. A formula KaTeX cannot parse is shown in red with its error
// (class katex-error) instead of stopping the page.
(function () {
  var elements = document.querySelectorAll('.markdown .math');
  for (var i = 0; i < elements.length; i++) {
    var element = elements[i];
    var tex = element.textContent.trim();
    var display = tex.indexOf('\\[') === 0;
    if (/^\\[(\[]/.test(tex) && /\\[)\]]$/.test(tex)) tex = tex.slice(2, -2);
    katex.render(tex, element, { displayMode: display, throwOnError: false });
  }
})();
