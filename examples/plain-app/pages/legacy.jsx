import Link from 'next/link';
import Counter from '../components/Counter';

export default function Legacy() {
  return (
    <main>
      <h1>Legacy (Pages Router)</h1>
      <Counter />
      <Link href="/report" prefetch={false}>Report</Link>
    </main>
  );
}
