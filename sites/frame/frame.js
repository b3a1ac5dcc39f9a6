// Reaches into the parent page the way an IFRAME widget would have to, and shows what the
// browser answers: a SecurityError ("Blocked a frame with origin … from accessing a
// cross-origin frame.") whenever the parent is on another origin.
document.getElementById('origin').textContent = location.origin;
var shown = document.getElementById('error');
try {
  var title = window.parent.document.title;
  shown.textContent = 'No error: the parent is on the same origin (title: ' + title + ')';
} catch (e) {
  shown.textContent = e.name + ': ' + e.message;
  shown.className = 'blocked';
}
