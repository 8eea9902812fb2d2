import { Card } from '@repo/ui/card';
import { Counter } from '@repo/ui/counter';
import Link from 'next/link';

export default function About() {
  return (
    <main>
      <Card title="About">
        <Counter label="about" />
      </Card>
      <Link href="/">Home</Link>
    </main>
  );
}
