export default function Hello2() {
  return <p>Hello World 2 (imported dynamically) </p>;
}
