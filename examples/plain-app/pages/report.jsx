import dynamic from 'next/dynamic';

const Heavy = dynamic(() => import('../components/Heavy'), { ssr: false });

export async function getServerSideProps() {
  return { props: { at: new Date().toISOString() } };
}

export default function Report({ at }) {
  return (
    <main>
      <h1>Report at {at}</h1>
      <Heavy />
    </main>
  );
}
