import Counter from '../../components/Counter';

export default function About() {
  return (
    <main>
      <h1>About</h1>
      <Counter />
    </main>
  );
}
