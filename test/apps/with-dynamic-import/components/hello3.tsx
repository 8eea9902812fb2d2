export default function Hello3() {
  return <p>Hello World 3 (imported dynamically) </p>;
}
